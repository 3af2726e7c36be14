import ftplib
import telnetlib
from ftplib import FTP, FTP_TLS

# ruleid: CG-CORE015
ftp = ftplib.FTP("files.example.com")
# ruleid: CG-CORE015
plain = FTP("files.example.com")
# ruleid: CG-CORE015
tn = telnetlib.Telnet("switch.local", 23)

# ok: CG-CORE015
secure = FTP_TLS("files.example.com")
# ok: CG-CORE015
also_secure = ftplib.FTP_TLS("files.example.com")

from pysnmp.hlapi import CommunityData, UsmUserData, usmAesCfb128Protocol, usmHMACSHAAuthProtocol

# ruleid: CG-CORE015
v1 = CommunityData("public", mpModel=0)
# ruleid: CG-CORE015
v2c = CommunityData("private", mpModel=1)
# ruleid: CG-CORE015
no_auth = UsmUserData("monitor")
# ruleid: CG-CORE015
auth_no_priv = UsmUserData("monitor", "authpass123", authProtocol=usmHMACSHAAuthProtocol)

# ok: CG-CORE015
auth_priv = UsmUserData("monitor", "authpass123", "privpass123", authProtocol=usmHMACSHAAuthProtocol, privProtocol=usmAesCfb128Protocol)
# ok: CG-CORE015
auth_priv_kw = UsmUserData("monitor", authKey=auth_key, privKey=priv_key)
