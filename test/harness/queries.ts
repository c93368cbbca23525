// Queries several tests send as clients would.

/** The overview query: an organization with its members, projects, environments and credits, from all three subgraphs. */
export const OVERVIEW = `
  query Overview($slug: String!, $from: DateTime!, $to: DateTime!) {
    organization(slug: $slug) {
      id slug name viewerRole
      members(first: 100) { totalCount nodes { role user { id email name } } }
      projects(first: 100) {
        totalCount
        nodes { id name environments { id mode } creditUsage(from: $from, to: $to) { total } }
      }
      creditBalance { available }
      creditUsage(from: $from, to: $to) { total byDay { date amount } }
    }
  }`;
