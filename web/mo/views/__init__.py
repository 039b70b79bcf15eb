"""Views of the employer cabinet, one module per area; every view takes the request and the Cabinet."""
