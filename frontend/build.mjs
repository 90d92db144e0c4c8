// Builds the lesson page's front end into the Voila template's static folder:
// lesson-page.js and lesson-page.css (one file each, minified), and lesson-page.licenses.txt:
// the name, version and licence of every npm package the bundle contains, then each
// package's licence text (its own file, or for a package that ships none, the standard
// terms of its licence with its copyright holders: see licences.mjs).
// Run: npm run build (after npm ci); `node frontend/build.mjs FOLDER` writes them elsewhere.
// The files are shipped with the kit, so installing the kit needs no Node.js.
import { build } from 'esbuild';
import { readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { licenceText } from './licences.mjs';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const out = process.argv[2]
  ?? join(root, 'rebalance_widgets/dashboards/share/voila/templates/rebalance/static');

const result = await build({
  entryPoints: [join(root, 'frontend/page.js')],
  outfile: join(out, 'lesson-page.js'),
  bundle: true,
  minify: true,
  format: 'esm',
  target: 'es2020',
  legalComments: 'none',
  loader: { '.svg': 'dataurl' },
  metafile: true,
  logLevel: 'warning',
});

/** The text of a package's own sources (its .js, .ts and .css files). */
const sourcesIn = (folder) => readdirSync(folder, { recursive: true })
  .filter((entry) => /\.(js|ts|css)$/.test(entry) && !entry.includes('node_modules'))
  .map((entry) => readFileSync(join(folder, entry), 'utf8'));

const packages = new Map();
for (const input of Object.keys(result.metafile.inputs)) {
  const match = input.match(/node_modules\/((?:@[^/]+\/)?[^/]+)\//);
  if (match && !packages.has(match[1])) {
    const folder = join(root, 'node_modules', match[1]);
    const meta = JSON.parse(readFileSync(join(folder, 'package.json')));
    const file = readdirSync(folder).find((name) => /^(licen[sc]e|copying)/i.test(name));
    packages.set(match[1], {
      line: `${match[1]} ${meta.version} ${meta.license}`,
      text: file ? readFileSync(join(folder, file), 'utf8').trim()
        : licenceText(match[1], meta, sourcesIn(folder)),
    });
  }
}
const names = [...packages.keys()].sort();
writeFileSync(join(out, 'lesson-page.licenses.txt'),
  'npm packages in lesson-page.js and lesson-page.css (name, version, licence):\n' +
  names.map((name) => packages.get(name).line).join('\n') + '\n' +
  names.map((name) => `\n---- ${name}\n\n${packages.get(name).text}\n`).join(''));
