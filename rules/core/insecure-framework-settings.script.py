"""A command-line tool with its own DEBUG flag: not a Django settings module."""
import logging

# ok: CG-CORE031
DEBUG = True

if DEBUG:
    logging.basicConfig(level=logging.DEBUG)
