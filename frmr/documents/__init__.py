"""Private PDF documents: checked by content, stored under generated names, served only by permission.

Shared by the accreditation application and the workers' correction requests; see docs/uploads.md.
"""
