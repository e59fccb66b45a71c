// The browser side of `npm run bench`: run.js opens browser.html and calls
// window.__compolyBench(file, input, name) for each bench file; the bench module gets the same
// `env` interface as in Node, with fetch() for bytes and URLs under the project root.
const root = new URL('../', import.meta.url);

window.__compolyBench = async (file, input, name) => {
  const env = {
    name,
    async bytes(path) {
      const response = await fetch(new URL(path, root));
      if (!response.ok) throw new Error(`fetching ${path}: HTTP ${response.status}`);
      return new Uint8Array(await response.arrayBuffer());
    },
    url: (path) => new URL(path, root).href,
  };
  const mod = await import(`./${file}`);
  document.getElementById('log').textContent += `${file}\n`;
  return mod.default(env, input);
};
window.__compolyBenchReady = true;
