// Licence texts for the bundled npm packages that ship no licence file of their own (the
// Jupyter and Lumino packages publish only their package.json's `license` field). Used by
// build.mjs to write each one's full terms into lesson-page.licenses.txt.

/** Who holds the copyright of a package, by npm scope, where the project's LICENSE says. */
const HOLDERS = {
  '@jupyter-widgets': 'Project Jupyter Contributors',
  '@jupyterlab': 'Project Jupyter Contributors',
  '@lumino': '2019 Project Jupyter Contributors',
};

const BSD_CONDITIONS = [
  `1. Redistributions of source code must retain the above copyright notice, this
   list of conditions and the following disclaimer.`,
  `2. Redistributions in binary form must reproduce the above copyright notice,
   this list of conditions and the following disclaimer in the documentation
   and/or other materials provided with the distribution.`,
  `3. Neither the name of the copyright holder nor the names of its
   contributors may be used to endorse or promote products derived from
   this software without specific prior written permission.`,
];

const BSD_DISCLAIMER = `THIS SOFTWARE IS PROVIDED BY THE COPYRIGHT HOLDERS AND CONTRIBUTORS "AS IS"
AND ANY EXPRESS OR IMPLIED WARRANTIES, INCLUDING, BUT NOT LIMITED TO, THE
IMPLIED WARRANTIES OF MERCHANTABILITY AND FITNESS FOR A PARTICULAR PURPOSE ARE
DISCLAIMED. IN NO EVENT SHALL THE COPYRIGHT HOLDER OR CONTRIBUTORS BE LIABLE
FOR ANY DIRECT, INDIRECT, INCIDENTAL, SPECIAL, EXEMPLARY, OR CONSEQUENTIAL
DAMAGES (INCLUDING, BUT NOT LIMITED TO, PROCUREMENT OF SUBSTITUTE GOODS OR
SERVICES; LOSS OF USE, DATA, OR PROFITS; OR BUSINESS INTERRUPTION) HOWEVER
CAUSED AND ON ANY THEORY OF LIABILITY, WHETHER IN CONTRACT, STRICT LIABILITY,
OR TORT (INCLUDING NEGLIGENCE OR OTHERWISE) ARISING IN ANY WAY OUT OF THE USE
OF THIS SOFTWARE, EVEN IF ADVISED OF THE POSSIBILITY OF SUCH DAMAGE.`;

const bsd = (clauses) => (holder) => `Copyright (c) ${holder}
All rights reserved.

Redistribution and use in source and binary forms, with or without
modification, are permitted provided that the following conditions are met:

${BSD_CONDITIONS.slice(0, clauses).join('\n\n')}

${BSD_DISCLAIMER}`;

/** The standard terms of each SPDX licence this file knows, for a copyright holder. */
const TERMS = {
  'BSD-3-Clause': bsd(3),
  'BSD-2-Clause': bsd(2),
  MIT: (holder) => `Copyright (c) ${holder}

Permission is hereby granted, free of charge, to any person obtaining a copy
of this software and associated documentation files (the "Software"), to deal
in the Software without restriction, including without limitation the rights
to use, copy, modify, merge, publish, distribute, sublicense, and/or sell
copies of the Software, and to permit persons to whom the Software is
furnished to do so, subject to the following conditions:

The above copyright notice and this permission notice shall be included in all
copies or substantial portions of the Software.

THE SOFTWARE IS PROVIDED "AS IS", WITHOUT WARRANTY OF ANY KIND, EXPRESS OR
IMPLIED, INCLUDING BUT NOT LIMITED TO THE WARRANTIES OF MERCHANTABILITY,
FITNESS FOR A PARTICULAR PURPOSE AND NONINFRINGEMENT. IN NO EVENT SHALL THE
AUTHORS OR COPYRIGHT HOLDERS BE LIABLE FOR ANY CLAIM, DAMAGES OR OTHER
LIABILITY, WHETHER IN AN ACTION OF CONTRACT, TORT OR OTHERWISE, ARISING FROM,
OUT OF OR IN CONNECTION WITH THE SOFTWARE OR THE USE OR OTHER DEALINGS IN THE
SOFTWARE.`,
  ISC: (holder) => `Copyright (c) ${holder}

Permission to use, copy, modify, and/or distribute this software for any
purpose with or without fee is hereby granted, provided that the above
copyright notice and this permission notice appear in all copies.

THE SOFTWARE IS PROVIDED "AS IS" AND THE AUTHOR DISCLAIMS ALL WARRANTIES
WITH REGARD TO THIS SOFTWARE INCLUDING ALL IMPLIED WARRANTIES OF
MERCHANTABILITY AND FITNESS. IN NO EVENT SHALL THE AUTHOR BE LIABLE FOR
ANY SPECIAL, DIRECT, INDIRECT, OR CONSEQUENTIAL DAMAGES OR ANY DAMAGES
WHATSOEVER RESULTING FROM LOSS OF USE, DATA OR PROFITS, WHETHER IN AN
ACTION OF CONTRACT, NEGLIGENCE OR OTHER TORTIOUS ACTION, ARISING OUT OF
OR IN CONNECTION WITH THE USE OR PERFORMANCE OF THIS SOFTWARE.`,
};

/** The author named in a package.json, without e-mail address or web address. */
function authorOf(meta) {
  const author = meta.author?.name ?? meta.author;
  return typeof author === 'string' ? author.replace(/\s*[<(].*$/, '').trim() : '';
}

/**
 * The years of the PhosphorJS notices in `sources` (the package's files), as `2014-2019`,
 * or null if there are none: Lumino began as PhosphorJS, whose copyright its files keep.
 */
function phosphorYears(sources) {
  const years = [];
  for (const source of sources) {
    for (const [, range] of source.matchAll(/Copyright \(c\) ([\d-]+), PhosphorJS Contributors/g)) {
      years.push(...range.split('-').map(Number));
    }
  }
  return years.length ? `${Math.min(...years)}-${Math.max(...years)}` : null;
}

/**
 * The full terms of package `name` (its package.json `meta`, the text of its source files
 * `sources`) under its SPDX licence, with its copyright holders; an error if there are none
 * to write (a licence this file does not know, or no holder), so that the build stops.
 */
export function licenceText(name, meta, sources) {
  const terms = TERMS[meta.license];
  const holder = HOLDERS[name.split('/')[0]] ?? authorOf(meta);
  if (!terms || !holder) {
    throw new Error(`${name} ships no licence file and its terms (${meta.license}, ` +
      `author ${holder || 'not given'}) are unknown: add them to frontend/licences.mjs`);
  }
  const phosphor = phosphorYears(sources);
  return terms(holder) + (phosphor ? `\n\n\n${terms(`${phosphor}, PhosphorJS Contributors`)}` : '');
}
