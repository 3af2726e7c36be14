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
