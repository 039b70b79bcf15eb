"""The worker's accreditation application: the form, the pages around sending it, its documents."""
