// Jest transformer for ESM-only dependencies (jose): Jest on Node 20 cannot require ES modules, so compile them to
// CommonJS with TypeScript, keeping class fields native (ts-jest would rewrite them and break jose's error classes).
const ts = require('typescript');

const compilerOptions = {
  allowJs: true,
  module: ts.ModuleKind.CommonJS,
  target: ts.ScriptTarget.ES2022,
  useDefineForClassFields: true,
  sourceMap: false,
};

module.exports = {
  process(sourceText, sourcePath) {
    return { code: ts.transpileModule(sourceText, { compilerOptions, fileName: sourcePath }).outputText };
  },
  getCacheKey(sourceText, sourcePath) {
    return require('node:crypto').createHash('sha1').update(ts.version).update(sourcePath).update(sourceText).digest('hex');
  },
};
