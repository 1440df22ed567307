"""Extensions, created unbound and initialised by the app factory."""

from flask_babel import Babel
from flask_compress import Compress
from flask_limiter import Limiter
from flask_limiter.util import get_remote_address
from flask_migrate import Migrate
from flask_socketio import SocketIO
from flask_sqlalchemy import SQLAlchemy
from flask_wtf.csrf import CSRFProtect

from .storage.models import Base

db = SQLAlchemy(model_class=Base)
migrate = Migrate()
babel = Babel()
socketio = SocketIO()
limiter = Limiter(key_func=get_remote_address, default_limits=[])
csrf = CSRFProtect()  # every form POST needs its token; the token-authenticated API is exempt
# Only views decorated with compress.compressed() (COMPRESS_REGISTER is off): the chat page's HTML.
# Static files are compressed by the reverse proxy in production; compressing them in-app left their
# file handles open.
compress = Compress()
