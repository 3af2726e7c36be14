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


def quoted(path, host):
    import shlex

    # Every run-time part quoted for the shell.
    # ok: CG-CORE007
    os.system("ls -la " + shlex.quote(path))
    # ok: CG-CORE007
    subprocess.run(f"scp build.tar {shlex.quote(host)}:/srv/", shell=True)
    # One part quoted, another not.
    # ruleid: CG-CORE007
    subprocess.run(f"scp {path} {shlex.quote(host)}:/srv/", shell=True)


def outputs(path):
    # `getoutput` and `getstatusoutput` run their text through `/bin/sh`.
    # ruleid: CG-CORE007
    subprocess.getoutput("du -sh " + path)
    # ruleid: CG-CORE007
    status, out = subprocess.getstatusoutput(f"file {path}")
    # ok: CG-CORE007
    subprocess.getoutput("uname -a")


def remote(host, user_dir, request):
    import shlex

    import paramiko

    client = paramiko.SSHClient()
    client.connect(host)
    # ruleid: CG-CORE007
    client.exec_command("ls -la " + user_dir)
    # ruleid: CG-CORE007
    client.exec_command(f"tail -n 50 /var/log/{request.args['log']}")
    cmd = "cat {}".format(user_dir)
    # ruleid: CG-CORE007
    stdin, stdout, stderr = client.exec_command(cmd)

    # ok: CG-CORE007
    client.exec_command("uptime")
    # ok: CG-CORE007
    client.exec_command("ls -la " + shlex.quote(user_dir))
    LOG_DIR = "/var/log/app"
    # ok: CG-CORE007
    client.exec_command(f"ls {LOG_DIR}")
