import os
import stat
from pathlib import Path

# ruleid: CG-CORE016
os.chmod("/srv/app/run.sh", 0o777)
# ruleid: CG-CORE016
os.chmod(path, 0o666)
# ruleid: CG-CORE016
os.chmod(path, stat.S_IRWXU | stat.S_IRWXO)
# ruleid: CG-CORE016
Path("/srv/app/cache").mkdir(mode=0o777, parents=True)
# ruleid: CG-CORE016
Path(path).chmod(0o777)

# ok: CG-CORE016
os.chmod("/srv/app/run.sh", 0o750)
# ok: CG-CORE016
os.chmod(path, 0o644)
# ok: CG-CORE016
os.chmod(path, stat.S_IRUSR | stat.S_IWUSR)
# ok: CG-CORE016
Path("/srv/app/cache").mkdir(parents=True, exist_ok=True)
