FROM python:3.12-slim
# Image build (made-up keys for the CG-SEC001 fixture).
# ruleid: CG-SEC001
ENV HF_TOKEN=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
# ruleid: CG-SEC001
ARG PPLX_KEY=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
# ok: CG-SEC001
ENV OPENAI_API_KEY=""
# ok: CG-SEC001
RUN --mount=type=secret,id=anthropic ANTHROPIC_API_KEY=$(cat /run/secrets/anthropic) python setup.py
