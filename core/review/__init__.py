"""Review: durable decisions (accept, reject, notes, tags, repairs) with undo and redo."""
