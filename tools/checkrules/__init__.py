"""`python build.py check-rules`: which rule strategies match a report or a saved page."""
