from tests.esia_fake import esia_keys, fake_esia, keys  # noqa: F401
