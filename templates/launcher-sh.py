#!/bin/sh
"true" '''\'
exec @PYTHON@ "$0" "$@"
'''
