import os
import subprocess
from subprocess import run


def deploy(branch, path):
    # ruleid: CG-CORE007
    subprocess.run(f"git checkout {branch}", shell=True)
    # ruleid: CG-CORE007
    os.system("rm -rf " + path)
    # ruleid: CG-CORE007
    run(["bash", "-c", "tar xf " + path])
    cmd = "ls " + path
    # ruleid: CG-CORE007
    out = subprocess.check_output(cmd, shell=True)

    # ok: CG-CORE007
    subprocess.run(["git", "checkout", branch])
    # ok: CG-CORE007
    subprocess.run("git status", shell=True)
    # ok: CG-CORE007
    os.system("clear")
    # ok: CG-CORE007
    subprocess.run(["bash", "-c", "make all"])
    # ok: CG-CORE007
    subprocess.run(f"git checkout {branch}", shell=False)


def find_npx():
    # A name that takes each of a constant list's values in turn is constant.
    for cmd in ["npx.cmd", "npx.exe", "npx"]:
        # ok: CG-CORE007
        subprocess.run([cmd, "--version"], check=True, shell=True)


def list_and(extra):
    for cmd in ["ls", extra]:
        # ruleid: CG-CORE007
        subprocess.run(cmd, shell=True)
