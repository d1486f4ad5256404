// Insomnia ≥ 12.5's script checker, reimplemented from Kong/insomnia
// packages/insomnia/src/scripting/sandbox.ts (checkSandboxViolations) and the rule lists in
// scripting/script-security-policy.ts (blockedPropertyRules, blockedRootRules), default settings:
// every rule on, scriptBlockUnresolvableProperties = true. Reads a script on stdin, prints JSON
// { violation, counts, parser }. Like upstream, a script acorn (ecmaVersion 2022) cannot parse passes.
'use strict';
const acorn = require('acorn');
const walk = require('acorn-walk');
const parser = `acorn ${acorn.version}`;

const BLOCKED_PROPERTIES = new Set([
  'prototype',
  'mainModule',
  'constructor',
  '__proto__',
  'prepareStackTrace',
  'captureStackTrace',
  'getPrototypeOf',
  'setPrototypeOf',
  'getFunction',
  'getThis',
  '__defineGetter__',
  '__defineSetter__',
  '__lookupGetter__',
  '__lookupSetter__',
  'defineProperty',
  'defineProperties',
  'getOwnPropertyDescriptor',
  'getOwnPropertyDescriptors',
]);
const BLOCKED_ROOTS = new Set([
  'this',
  'globalThis',
  'global',
  'window',
  'self',
  'frames',
  'process',
  'module',
  'exports',
  'Buffer',
  'constructor',
  'arguments',
]);
const UNRESOLVABLE = Symbol('unresolvable');

/** @typedef {import('acorn').AnyNode | import('acorn').Super} Node */

/** @param {Node} node @returns {string | null} */
function memberRoot(node) {
  if (node.type === 'Identifier') return node.name;
  if (node.type === 'MemberExpression') return memberRoot(node.object);
  return null;
}

/** @param {import('acorn').MemberExpression} node @returns {string | null | typeof UNRESOLVABLE} */
function propertyName(node) {
  if (!node.computed && node.property.type === 'Identifier') return node.property.name;
  if (node.computed && node.property.type === 'Literal') return typeof node.property.value === 'string' ? node.property.value : null;
  if (node.computed && node.property.type === 'TemplateLiteral') {
    if (node.property.expressions.length === 0) {
      const cooked = node.property.quasis[0].value.cooked;
      return cooked != null ? cooked : UNRESOLVABLE; // acorn: null for an invalid escape
    }
    return UNRESOLVABLE;
  }
  return node.computed ? UNRESOLVABLE : null;
}

/** @param {Node | null | undefined} expr @param {Map<string, string>} blocked @returns {string | null} */
function blockedIn(expr, blocked) {
  if (!expr) return null;
  if (expr.type === 'Identifier') return blocked.has(expr.name) ? expr.name : null;
  if (expr.type === 'ThisExpression') return 'this';
  if (expr.type === 'LogicalExpression') return blockedIn(expr.left, blocked) ?? blockedIn(expr.right, blocked);
  if (expr.type === 'ConditionalExpression') return blockedIn(expr.consequent, blocked) ?? blockedIn(expr.alternate, blocked);
  if (expr.type === 'SequenceExpression') {
    for (const e of expr.expressions) {
      const hit = blockedIn(e, blocked);
      if (hit !== null) return hit;
    }
  }
  return null;
}

/** @param {string} script */
function check(script) {
  let tree;
  for (const sourceType of /** @type {const} */ (['module', 'script'])) {
    try {
      tree = acorn.parse(script, { ecmaVersion: 2022, sourceType });
      break;
    } catch {
      // next source type
    }
  }
  /** @type {Record<string, number>} */
  const counts = {};
  if (!tree) return { violation: undefined, counts, parsed: false };
  const blocked = new Map([...BLOCKED_ROOTS].map((r) => [r, r]));
  const alias = (/** @type {string} */ id, /** @type {Node | null | undefined} */ expr) => {
    const found = blockedIn(expr, blocked);
    if (found !== null) blocked.set(id, blocked.get(found) ?? found);
  };
  walk.simple(tree, {
    VariableDeclarator(node) {
      if (node.id.type === 'Identifier') alias(node.id.name, node.init);
    },
    AssignmentExpression(node) {
      if (node.left.type === 'Identifier') alias(node.left.name, node.right);
    },
  });
  /** @type {string | undefined} */
  let violation;
  const hit = (/** @type {string} */ rule, /** @type {string} */ message) => {
    counts[rule] = (counts[rule] || 0) + 1;
    if (violation === undefined) violation = message;
  };
  const origin = (/** @type {string} */ name) => blocked.get(name) ?? name;
  walk.simple(tree, {
    MemberExpression(node) {
      if (node.object.type === 'ThisExpression') return hit('root this', "The script was blocked because it used 'this'.");
      const root = memberRoot(node.object);
      if (root && blocked.has(root)) return hit(`root ${origin(root)}`, `The script was blocked because it used '${root}'.`);
      const prop = propertyName(node);
      if (prop === UNRESOLVABLE)
        return hit(
          'unresolvable property',
          'The script was blocked because it used a dynamic computed property access that cannot be statically verified.',
        );
      if (prop && BLOCKED_PROPERTIES.has(prop))
        return hit(`property ${prop}`, `The script was blocked because it used the property '${prop}'.`);
      if (node.object.type === 'Identifier' && node.object.name === 'Symbol' && prop === 'species')
        hit('property species', 'The script was blocked because it used Symbol.species.');
    },
    VariableDeclarator(node) {
      if (node.id.type !== 'ObjectPattern') return;
      if (node.init && node.init.type === 'Identifier' && blocked.has(node.init.name))
        hit(`root ${origin(node.init.name)}`, `The script was blocked because it destructured from '${node.init.name}'.`);
      if (node.init && node.init.type === 'ThisExpression') hit('root this', "The script was blocked because it destructured from 'this'.");
    },
    AssignmentExpression(node) {
      if (node.left.type !== 'ObjectPattern') return;
      if (node.right.type === 'Identifier' && blocked.has(node.right.name))
        hit(`root ${origin(node.right.name)}`, `The script was blocked because it destructured from '${node.right.name}'.`);
      if (node.right.type === 'ThisExpression') hit('root this', "The script was blocked because it destructured from 'this'.");
    },
    ImportDeclaration() {
      hit('import', 'The script was blocked because it used a static import declaration.');
    },
    ImportExpression() {
      hit('import', 'The script was blocked because it used a dynamic import().');
    },
    CallExpression(node) {
      if (node.callee.type === 'Identifier' && blocked.has(node.callee.name))
        hit(`root ${origin(node.callee.name)}`, `The script was blocked because it called '${node.callee.name}'.`);
    },
  });
  return { violation, counts, parsed: true };
}

let input = '';
process.stdin.setEncoding('utf8');
process.stdin.on('data', (chunk) => (input += chunk));
process.stdin.on('end', () => {
  const { violation, counts, parsed } = check(input);
  process.stdout.write(JSON.stringify({ violation, counts, parsed, parser }));
});
