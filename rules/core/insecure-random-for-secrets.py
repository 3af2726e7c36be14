import random
import secrets
import string

# ruleid: CG-CORE019
reset_token = "".join(random.choices(string.ascii_letters + string.digits, k=32))
# ruleid: CG-CORE019
otp = random.randint(100000, 999999)


def make_password(length=16):
    # ruleid: CG-CORE019
    return "".join(random.choice(string.ascii_letters) for _ in range(length))


# ok: CG-CORE019
api_token = secrets.token_urlsafe(32)
# Sampling and shuffling data are not secrets.
# ok: CG-CORE019
batch = random.sample(examples, k=8)
# ok: CG-CORE019
random.shuffle(examples)
# Model tokens are not secrets.
# ok: CG-CORE019
masked_token = random.randint(0, vocab_size - 1)
