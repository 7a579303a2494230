#!/usr/bin/env python3
# gen-linkedin.py ROWS [SEED] — writes a LinkedIn Connections.csv of ROWS
# connections to stdout, in the current shape (Notes: preamble, URL
# column, "22 Dec 2025" dates), with some quoting, emoji and empty emails.
#
# SPDX-License-Identifier: GPL-3.0-or-later

import random
import sys

FIRST = ['Ana', 'Bruno', 'Chen', 'Dana', 'Émilie', 'Farid', 'Greta', 'Hiro',
         'Ines', 'Jonas', 'Kwame', 'Lena', 'Maya', 'Nikolai', 'Olu', 'Paula',
         'Quinn', 'Ragnar', 'Sunny', 'Tomás', 'Yuki', 'Zoë']
LAST = ['Silva', 'Castell', 'Wei', 'Ruiz', 'Durand', 'Haddad', 'Lund',
        'Sato', 'Ferreira 🌱', 'Becker', 'Mensah', 'Nowak', "O'Brien",
        'Petrov', 'Adeyemi', 'Quinn', 'Svensson', 'Kim', 'Müller']
COMPANIES = ['Northwind Labs', '"Ruiz, Ruiz & ""Partners"""', 'Atelier Lumière',
             'Tidewater Analytics', 'Green Roots Co-op', 'Acme']
POSITIONS = ['Engineer', '"Principal Consultant, Business Performance"',
             'Founder', 'Product Designer', 'Data Engineer']
MONTHS = ['Jan', 'Feb', 'Mar', 'Apr', 'May', 'Jun', 'Jul', 'Aug', 'Sep',
          'Oct', 'Nov', 'Dec']


def main():
    rows = int(sys.argv[1])
    rng = random.Random(int(sys.argv[2]) if len(sys.argv) > 2 else 1)
    out = sys.stdout
    out.write('Notes:\r\n"When exporting your connection data, you may notice '
              'that some of the email addresses are missing."\r\n\r\n')
    out.write('First Name,Last Name,URL,Email Address,Company,Position,'
              'Connected On\r\n')
    for i in range(rows):
        first = rng.choice(FIRST)
        last = rng.choice(LAST)
        slug = f'{first.lower()}-{i:07d}'
        email = f'{slug}@example.org' if rng.random() < 0.3 else ''
        date = (f'{rng.randint(1, 28):02d} {rng.choice(MONTHS)} '
                f'{rng.randint(2008, 2025)}')
        out.write(f'{first},{last},https://www.linkedin.com/in/{slug},{email},'
                  f'{rng.choice(COMPANIES)},{rng.choice(POSITIONS)},'
                  f'{date}\r\n')


if __name__ == '__main__':
    main()
