import jinja2
from jinja2 import Environment, FileSystemLoader, select_autoescape

# ruleid: CG-CORE013
env = Environment(loader=FileSystemLoader("templates"), autoescape=False)
# ruleid: CG-CORE013
page = jinja2.Template("<p>{{ name }}</p>", autoescape=False)

# ok: CG-CORE013
safe = Environment(loader=FileSystemLoader("templates"), autoescape=select_autoescape(["html"]))
# ok: CG-CORE013
html = Environment(autoescape=True)
# A prompt template renders text, not HTML: the default is not reported.
# ok: CG-CORE013
prompt = Environment(loader=FileSystemLoader("prompts"))
