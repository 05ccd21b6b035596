import os

os.environ.setdefault("CONSILIUM_ENV", "test")
