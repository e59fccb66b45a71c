// The startup benchmark's component: a JS module componentized with SpiderMonkey inside
// (componentize-js), for a component of ≥ 10 MB. See large.wit.
export const adder = {
  add(a, b) {
    return (a + b) >>> 0;
  },
};
