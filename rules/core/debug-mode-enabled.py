import os

from flask import Flask

app = Flask(__name__)

if __name__ == "__main__":
    # ruleid: CG-CORE012
    app.run(host="0.0.0.0", debug=True)
    # ok: CG-CORE012
    app.run(debug=False)
    # ok: CG-CORE012
    app.run(debug=os.environ.get("FLASK_DEBUG") == "1")
    # ok: CG-CORE012
    app.run()
