"""ЕСИА emulator: a stand-alone Django project speaking the v2/ac + v3/te protocol for development and tests.

It never imports the register (frmr, web, config, api); the register never imports it. Both share gostkit.
"""
