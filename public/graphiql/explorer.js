// The API explorer at GET /graphql: GraphiQL (served from this site's own
// files, see the Makefile's `graphiql` target) against /graphql, sending the
// reader's cookies only to this origin. No inline script, so the page's
// Content-Security-Policy needs no exception for it.
(function () {
  var fetcher = GraphiQL.createFetcher({
    url: new URL("/graphql", window.location.origin).toString(),
    fetch: function (url, options) {
      return fetch(url, Object.assign({}, options, { credentials: "same-origin" }));
    },
  });
  ReactDOM.createRoot(document.getElementById("graphiql")).render(
    React.createElement(GraphiQL, { fetcher: fetcher, defaultEditorToolsVisibility: true })
  );
})();
