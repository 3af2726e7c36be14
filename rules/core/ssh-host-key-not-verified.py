import paramiko
from paramiko import AutoAddPolicy

client = paramiko.SSHClient()
# ruleid: CG-CORE014
client.set_missing_host_key_policy(paramiko.AutoAddPolicy())
# ruleid: CG-CORE014
client.set_missing_host_key_policy(AutoAddPolicy)
# ruleid: CG-CORE014
client.set_missing_host_key_policy(paramiko.WarningPolicy())

# ok: CG-CORE014
client.set_missing_host_key_policy(paramiko.RejectPolicy())
# ok: CG-CORE014
client.load_system_host_keys()
