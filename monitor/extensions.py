"""Flask extensions, created unbound and bound in `create_app` with `init_app`."""

from flask_limiter import Limiter
from flask_limiter.util import get_remote_address
from flask_login import LoginManager
from flask_migrate import Migrate
from flask_wtf import CSRFProtect

login_manager = LoginManager()
login_manager.login_view = "auth.login"
login_manager.login_message = "Log in om deze pagina te zien."
login_manager.session_protection = "strong"
csrf = CSRFProtect()
migrate = Migrate()

#: login and token routes are limited; storage is Redis when REDIS_URL is set, else memory
limiter = Limiter(key_func=get_remote_address, default_limits=[])
