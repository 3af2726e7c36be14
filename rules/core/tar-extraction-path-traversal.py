import shutil
import tarfile

with tarfile.open("dataset.tar.gz") as tar:
    # ruleid: CG-CORE020
    tar.extractall("data/")
    # ok: CG-CORE020
    tar.extractall("data/", filter="data")
    # ok: CG-CORE020
    tar.extractall("data/", members=safe_members(tar))

# ruleid: CG-CORE020
shutil.unpack_archive("bundle.tar", "models/")
# ok: CG-CORE020
shutil.unpack_archive("bundle.tar", "models/", filter="data")
# A zip file is not a tar archive: zipfile strips absolute paths and "..".
# ok: CG-CORE020
zf.extractall("data/")

with tarfile.open("model.tgz") as archive:
    # ruleid: CG-CORE020
    archive.extractall("models/")
# A project's own archive helper is not tarfile.
# ok: CG-CORE020
archive_utils.extract(path, "out/")
