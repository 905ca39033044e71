"""The Textual review app: a face over ``core``; it never holds review logic of its own."""
