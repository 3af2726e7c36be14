from app import app
from app import worker

# ruleid: CG-CORE012
app.run(host="0.0.0.0", port=8080, debug=True)
# ok: CG-CORE012
app.run(host="127.0.0.1", port=8080, debug=False)
# ok: CG-CORE012
worker.run(debug=True)
