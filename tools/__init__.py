"""What builds the extension: build.py at the repository root is the command line."""
