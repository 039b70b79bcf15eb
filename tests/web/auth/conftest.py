from tests.esia_fake import esia_keys, fake_esia, keys  # noqa: F401
from tests.esia_fixtures import esia_emulator_db, esia_emulator_server  # noqa: F401
