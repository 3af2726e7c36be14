# One context word in the whole file (`pin`): the prefilter must still let the file through.
import random

# ruleid: CG-CORE019
pin = random.randint(1000, 9999)

# ok: CG-CORE019
spinner_frame = random.choice(["|", "/", "-", "\\"])
