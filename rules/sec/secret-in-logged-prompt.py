import logging
import os

import langchain
import litellm
from langchain.globals import set_debug

logger = logging.getLogger(__name__)
STRIPE_KEY = os.environ["STRIPE_KEY"]


def refund_prompt(order_id):
    messages = [{"role": "system", "content": f"Use key {STRIPE_KEY} for refunds of {order_id}"}]
    # ruleid: CG-SEC004
    logger.debug("sending prompt: %s", messages)
    # ruleid: CG-SEC004
    print("token", os.getenv("GITHUB_TOKEN"))
    # ruleid: CG-SEC004
    logging.info(f"connecting with {os.environ['DB_PASSWORD']}")
    # ok: CG-SEC004
    logger.debug("sending prompt: %d messages, %d chars", len(messages), sum(len(m["content"]) for m in messages))
    # ok: CG-SEC004
    logger.info("model %s", os.environ["OPENAI_MODEL"])
    # ok: CG-SEC004
    print("key loaded:", bool(STRIPE_KEY))
    return messages


# ruleid: CG-SEC004
set_debug(True)
# ok: CG-SEC004
set_debug(False)
# ruleid: CG-SEC004
litellm.set_verbose = True
# ok: CG-SEC004
langchain.verbose = False


def token_file():
    path = os.environ.get("KUBE_TOKEN_PATH")
    # ok: CG-SEC004
    logger.debug("token file not found: %s", path)
    # ok: CG-SEC004
    print(os.environ["API_KEY_NAME"])


def normalize(data):
    # One field of a settings dict holds the key; the others do not.
    data["api_key"] = data.get("api_key") or os.getenv("AZURE_API_KEY")
    data["endpoint"] = data.get("endpoint") or os.getenv("AZURE_ENDPOINT")
    # ok: CG-SEC004
    logger.info("endpoint: %s", data["endpoint"])
    # ok: CG-SEC004
    logger.info("endpoint: %s", data.get("endpoint"))
    # ruleid: CG-SEC004
    logger.info("key: %s", data["api_key"])
    # ruleid: CG-SEC004
    logger.info("settings: %s", data)
    data = {}
    # ok: CG-SEC004
    logger.info("settings: %s", data)


def startup(settings):
    # ruleid: CG-SEC004
    logger.debug("environment: %s", dict(os.environ))
    # ruleid: CG-SEC004
    logger.info("using key %s", settings.OPENAI_API_KEY)
    key = os.environ.get("OPENAI_API_KEY")
    # Only whether it is set.
    # ok: CG-SEC004
    logger.info("OpenAI key %s", "found" if key else "missing")
    # ok: CG-SEC004
    logger.info("max tokens %s", settings.max_tokens)


def resolver_values(get_secret):
    # A project's own resolver returns hosts, ports and versions too: judged by the name.
    host = get_secret("REDIS_HOST")
    # ok: CG-SEC004
    logger.debug("redis host %s", host)
    password = get_secret("REDIS_PASSWORD")
    # ruleid: CG-SEC004
    logger.debug("redis password %s", password)
    # Names that hold no secret: a credential type, an S3 object key, a key file's path.
    kind = os.environ.get("AZURE_CREDENTIAL")
    # ok: CG-SEC004
    logger.info("credential type %s", kind)
    # ok: CG-SEC004
    logger.info("config object %s", os.environ["CONFIG_BUCKET_OBJECT_KEY"])
    # ok: CG-SEC004
    logger.info("key file %s", os.getenv("GOOGLE_APPLICATION_CREDENTIALS"))


def database(general_settings, get_secret):
    database_url = general_settings.get("database_url")
    if database_url.startswith("os.environ/"):
        # The name asked for is a variable: judged by the variable's name.
        database_url = get_secret(database_url)
        # ruleid: CG-SEC004
        logger.debug("retrieved db url %s", database_url)


def call_options(**kwargs):
    kwargs["api_key"] = os.environ["OPENAI_API_KEY"]
    # Another field of the same mapping.
    # ok: CG-SEC004
    logger.debug("caching %s", kwargs.get("caching"))
    # ruleid: CG-SEC004
    logger.debug("key %s", kwargs.get("api_key"))


def literal_options():
    options = {"api_key": os.environ["OPENAI_API_KEY"], "caching": True}
    # A field the literal filled with something else.
    # ok: CG-SEC004
    logger.debug("caching %s", options.get("caching"))
    # ok: CG-SEC004
    logger.debug("caching %s", options["caching"])
    # ruleid: CG-SEC004
    logger.debug("key %s", options.get("api_key"))
    # ruleid: CG-SEC004
    logger.debug("options %s", options)
