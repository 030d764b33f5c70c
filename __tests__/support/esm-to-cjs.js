/**
 * A Jest transform for dependencies published only as ES modules (ArkType, arkregex and the @ark packages): Jest on Node 20
 * loads modules as CommonJS, so esbuild turns each file into CommonJS as Jest loads it.
 */
const { transformSync } = require('esbuild');

module.exports = {
  process(source, path) {
    const { code, map } = transformSync(source, { format: 'cjs', loader: 'js', sourcefile: path, sourcemap: 'external', target: 'node20' });
    return { code, map };
  },
};
