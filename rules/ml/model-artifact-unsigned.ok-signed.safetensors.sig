{"mediaType": "application/vnd.dev.sigstore.bundle.v0.3+json", "note": "placeholder: presence only"}
