"""The `broadsheet` command line: one module per command (or family of commands), the app built in app.py."""
