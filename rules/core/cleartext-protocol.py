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
