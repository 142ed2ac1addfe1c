// Stands in for react-devtools-core in the bundle (scripts/bundle.mjs): Ink imports it only
// in development with the package installed, which a bundled kctop never is.
export default {initialize() {}, connectToDevTools() {}};
