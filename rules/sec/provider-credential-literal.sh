#!/bin/sh
# Deploy script (made-up keys for the CG-SEC001 fixture).
set -eu
# ruleid: CG-SEC001
export GITHUB_TOKEN="ghp_r2Ka1YsHzFXQf1pjwaSyrEGVkOPntkrZeZsR"
# ruleid: CG-SEC001
curl -H "Authorization: Bearer xai-6nKISEgBCm2NyEN5qBHLVar1uFJtGed4GJDwuDosUovYndV5ei5Zb5n6qA31m4lbDWmIq71xgLVapsY7" https://api.x.ai/v1/models
# ok: CG-SEC001
export OPENAI_API_KEY="${OPENAI_API_KEY:?set it first}"
# ok: CG-SEC001
curl -H "Authorization: Bearer $GROQ_API_KEY" https://api.groq.com/openai/v1/models
# ruleid: CG-SEC001
STRIPE_KEY=sk_live_LS4GMtbtK4FEzkQxYISTCguX ./charge.sh  # codeguard-ignore: CG-SEC002 -- another rule
