/**
 * The layout's import boundaries (docs/architecture.md, Layers and boundaries), as an ESLint rule:
 * - a library is imported as `@harbour/<lib>`, never by a deep path, and never imports itself that way;
 * - a library never imports anything outside its own folder but other libraries' faces;
 * - the application never imports a library by a relative path;
 * - a feature module (src/modules/<m>) is reached from outside only through its index, or an entity
 *   file directly (entity relations point both ways, and must not load a module's services);
 * - inside a module, files import each other, never their own index.
 */
const path = require('node:path');

/** The repository-relative path of a file, with forward slashes. */
function repoPath(root, file) {
  return path.relative(root, file).split(path.sep).join('/');
}

function moduleOf(repoRelative) {
  const match = /^src\/modules\/([^/]+)(\/|$)/.exec(repoRelative);
  return match ? match[1] : null;
}

function libOf(repoRelative) {
  const match = /^libs\/([^/]+)(\/|$)/.exec(repoRelative);
  return match ? match[1] : null;
}

/** The problem with importing `specifier` from `file`, or null. Paths are repository-relative. */
function boundaryProblem(file, specifier) {
  const lib = /^@harbour\/([^/]+)(\/.*)?$/.exec(specifier);
  if (lib) {
    if (lib[2]) return `Import '@harbour/${lib[1]}', the library's public face, not a path inside it.`;
    if (libOf(file) === lib[1]) return `Inside libs/${lib[1]}, import the file itself, not the library's own index.`;
    return null;
  }
  if (!specifier.startsWith('.')) return null;
  const target = path.posix.normalize(path.posix.join(path.posix.dirname(file), specifier));
  const fromLib = libOf(file);
  if (fromLib && libOf(target) !== fromLib) {
    return `A library imports only its own files and other libraries' faces (@harbour/<lib>), never '${target}'.`;
  }
  if (!fromLib && libOf(target)) return `Import the library as '@harbour/${libOf(target)}'.`;
  const targetModule = moduleOf(target);
  if (!targetModule) return null;
  const isIndex = target === `src/modules/${targetModule}` || target === `src/modules/${targetModule}/index`;
  if (moduleOf(file) === targetModule) {
    return isIndex ? 'Inside a module, import the file itself, not the module’s own index.' : null;
  }
  if (isIndex || target.endsWith('.entity')) return null;
  return `Reach the ${targetModule} module through its index ('src/modules/${targetModule}'), not '${target}'.`;
}

/** @type {import('eslint').Rule.RuleModule} */
const rule = {
  meta: {
    type: 'problem',
    docs: { description: 'Libraries and feature modules are reached only through their public faces.' },
    schema: [
      { type: 'object', properties: { root: { type: 'string' } }, required: ['root'], additionalProperties: false },
    ],
  },
  create(context) {
    const file = repoPath(context.options[0].root, context.filename);
    const check = (node) => {
      if (!node.source || typeof node.source.value !== 'string') return;
      const message = boundaryProblem(file, node.source.value);
      if (message) context.report({ node: node.source, message });
    };
    return { ImportDeclaration: check, ExportNamedDeclaration: check, ExportAllDeclaration: check };
  },
};

module.exports = { rules: { boundaries: rule }, boundaryProblem };
