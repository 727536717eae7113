from s75.cli.main import entry

entry()
