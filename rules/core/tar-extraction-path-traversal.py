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


def safe_extract(tar, dest_dir):
    resolved = Path(dest_dir).resolve()
    for member in tar.getmembers():
        target = (resolved / member.name).resolve()
        if not (target == resolved or resolved in target.parents):
            raise ValueError(f"{member.name} would land outside {dest_dir}")
        # Every member's path was checked against the destination first.
        # ok: CG-CORE020
        tar.extract(member, path=resolved)


def unchecked_extract(tar, dest_dir):
    for member in tar.getmembers():
        # ruleid: CG-CORE020
        tar.extract(member, path=dest_dir)
