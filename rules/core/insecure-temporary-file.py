import os
import tempfile
from tempfile import mktemp

# ruleid: CG-CORE011
path = tempfile.mktemp(suffix=".json")
# ruleid: CG-CORE011
other = mktemp()

# ok: CG-CORE011
handle = tempfile.NamedTemporaryFile("w", suffix=".json", delete=False)
# ok: CG-CORE011
folder = tempfile.mkdtemp()
# ok: CG-CORE011
fd, name = tempfile.mkstemp()

import logging
from pathlib import Path

# Fixed names in a shared temporary folder, written to.
# ruleid: CG-CORE011
log = open("/tmp/app.log", "a")
# ruleid: CG-CORE011
with open(f"/tmp/report-{day}.csv", "w") as out:
    pass
# ruleid: CG-CORE011
cache = open(os.path.join("/var/tmp", "cache.bin"), mode="wb")
# ruleid: CG-CORE011
handler = logging.FileHandler("/tmp/worker.log")
# ruleid: CG-CORE011
Path("/tmp/state.json").write_text("{}")
# ruleid: CG-CORE011
fd = os.open("/dev/shm/lock", os.O_CREAT | os.O_WRONLY)

# Reading a file, a private temporary folder, or a name the user chose elsewhere.
# ok: CG-CORE011
config = open("/tmp/app.conf")
# ok: CG-CORE011
data = open("/tmp/input.txt", "r").read()
# ok: CG-CORE011
with tempfile.TemporaryDirectory() as tmp:
    # ok: CG-CORE011
    open(os.path.join(tmp, "out.txt"), "w")
# ok: CG-CORE011
open("/var/lib/app/state.json", "w")
# ok: CG-CORE011
open(output_path, "w")
# ok: CG-CORE011
Path(tmp_dir, "out.txt").write_text("x")
# ok: CG-CORE011
fd = os.open("/tmp/app.pid", os.O_RDONLY)
