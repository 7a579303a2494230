#!/usr/bin/python3
# Check a D-Bus activation file: the [D-BUS Service] group with the name the
# file is named after, an absolute Exec= of the unit's program, and
# SystemdService= naming the user unit whose BusName= is the same name.
# Usage: check-dbus-service.py SERVICE-FILE UNIT-FILE
#
# SPDX-License-Identifier: GPL-3.0-or-later

import configparser
import os
import sys


def main(service_path, unit_path):
    errors = []
    service = configparser.ConfigParser(interpolation=None)
    service.optionxform = str
    service.read(service_path)
    if service.sections() != ['D-BUS Service']:
        return [f'expected only [D-BUS Service], got {service.sections()}']
    group = service['D-BUS Service']
    name = group.get('Name', '')
    if os.path.basename(service_path) != name + '.service':
        errors.append(f'Name={name} does not match the file name')
    exec_ = group.get('Exec', '')
    if not os.path.isabs(exec_.split(' ')[0]):
        errors.append(f'Exec={exec_} is not an absolute path')
    unit_name = group.get('SystemdService', '')
    if unit_name != os.path.basename(unit_path):
        errors.append(f'SystemdService={unit_name}, expected '
                      f'{os.path.basename(unit_path)}')
    unit = configparser.ConfigParser(interpolation=None, strict=False)
    unit.optionxform = str
    unit.read(unit_path)
    if unit.get('Service', 'BusName', fallback='') != name:
        errors.append(f'{unit_path}: BusName= is not {name}')
    if unit.get('Service', 'Type', fallback='') != 'dbus':
        errors.append(f'{unit_path}: Type= is not dbus')
    # The same program; Exec= may add --log-file, which a daemon under
    # systemd does without (the journal has its output).
    if unit.get('Service', 'ExecStart', fallback='').split(' ')[0] != \
            exec_.split(' ')[0]:
        errors.append(f'{unit_path}: ExecStart= differs from Exec={exec_}')
    return errors


if __name__ == '__main__':
    problems = main(sys.argv[1], sys.argv[2])
    for p in problems:
        print(p)
    sys.exit(1 if problems else 0)
