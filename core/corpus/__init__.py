"""Reading a trace corpus: finding its files, splitting lines, parsing calls and run summaries."""
