from s75.cli import entry

entry()
