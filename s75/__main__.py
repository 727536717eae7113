"""``python -m s75``: the command line (guarded, so that a process started by the fork server
or spawn, which imports the main module, does not run the CLI again)."""

from s75.cli.main import entry

if __name__ == "__main__":
    entry()
