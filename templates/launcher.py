# A console script venvbox wrote for the entry point @NAME@ of @DIST@.
import sys
from importlib import import_module

if __name__ == "__main__":
    target = import_module(@MODULE@)
    for attribute in @ATTRIBUTE@.split("."):
        target = getattr(target, attribute)
    sys.exit(target())
