from huggingface_hub import hf_hub_download, snapshot_download
from transformers import AutoModelForCausalLM, AutoTokenizer, CLIPTokenizer, DDIMScheduler, pipeline

SHA = "0123456789abcdef0123456789abcdef01234567"

# ruleid: CG-ML005
lm = AutoModelForCausalLM.from_pretrained("acme/coder-7b")
# ruleid: CG-ML005
path = hf_hub_download("acme/churn-model", "model.onnx", revision="main")
# ruleid: CG-ML005
gen = pipeline("text-generation", model="acme/chat-3b")
# ruleid: CG-ML005
snap = snapshot_download(repo_id="acme/coder-13b", revision="v1.0")
# One finding per repository per file: it names the other lines, and pinning is one fix.
# ok: CG-ML005
again = AutoModelForCausalLM.from_pretrained("acme/coder-7b")

# ok: CG-ML005
tok = AutoTokenizer.from_pretrained("acme/coder-7b", revision=SHA)
# ok: CG-ML005
tok = AutoTokenizer.from_pretrained("./models/coder-7b")
# ok: CG-ML005
tok = AutoTokenizer.from_pretrained("/opt/models/coder")
# ok: CG-ML005
path = hf_hub_download("acme/churn-model", "model.onnx", revision="0123456789abcdef0123456789abcdef01234567")
# ok: CG-ML005
gen = pipeline("text-generation", model="acme/coder-7b", revision=SHA)
# Tokenizers, configs and schedulers are data: a changed one cannot run code.
# ok: CG-ML005
tok = AutoTokenizer.from_pretrained("acme/coder-7b")
# ok: CG-ML005
clip = CLIPTokenizer.from_pretrained("openai/clip-vit-large-patch14")
# ok: CG-ML005
sched = DDIMScheduler.from_pretrained("stabilityai/stable-diffusion-x4-upscaler", subfolder="scheduler")
