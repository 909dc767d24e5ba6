/**
 * JSON renderers for accounts, repositories, installations and the app, shaped like
 * GitHub's REST answers (components/schemas simple-user, repository, installation, integration).
 */
import { nodeId } from "./ids.js";
import type { SimState, SimUrls } from "./state.js";
import type { JsonObject, SimInstallation, SimRepo, SimUser } from "./types.js";

const EPOCH = "2020-01-01T00:00:00Z";

/** GitHub's timestamp format: ISO 8601 without milliseconds. */
export function isoSeconds(date: Date): string {
  return date.toISOString().replace(/\.\d{3}Z$/, "Z");
}

/** An account as a `simple-user`. */
export function userJson(urls: SimUrls, user: SimUser): JsonObject {
  const api = `${urls.api}/users/${encodeURIComponent(user.login)}`;
  const html =
    user.type === "Bot" ? `${urls.html}/apps/${user.login.replace(/\[bot\]$/, "")}` : `${urls.html}/${user.login}`;
  return {
    login: user.login,
    id: user.id,
    node_id: nodeId(user.type === "Bot" ? "Bot" : user.type === "Organization" ? "Organization" : "User", user.id),
    avatar_url: `${urls.html}/avatars/u/${user.id}?v=4`,
    gravatar_id: "",
    url: api,
    html_url: html,
    followers_url: `${api}/followers`,
    following_url: `${api}/following{/other_user}`,
    gists_url: `${api}/gists{/gist_id}`,
    starred_url: `${api}/starred{/owner}{/repo}`,
    subscriptions_url: `${api}/subscriptions`,
    organizations_url: `${api}/orgs`,
    repos_url: `${api}/repos`,
    events_url: `${api}/events{/privacy}`,
    received_events_url: `${api}/received_events`,
    type: user.type,
    user_view_type: "public",
    site_admin: false,
  };
}

/** An organisation as webhook payloads carry it (`organization`). */
export function organizationJson(urls: SimUrls, org: SimUser): JsonObject {
  const api = `${urls.api}/orgs/${org.login}`;
  return {
    login: org.login,
    id: org.id,
    node_id: nodeId("Organization", org.id),
    url: api,
    repos_url: `${api}/repos`,
    events_url: `${api}/events`,
    hooks_url: `${api}/hooks`,
    issues_url: `${api}/issues`,
    members_url: `${api}/members{/member}`,
    public_members_url: `${api}/public_members{/member}`,
    avatar_url: `${urls.html}/avatars/u/${org.id}?v=4`,
    description: null,
  };
}

const REPO_URL_TEMPLATES: Array<[string, string]> = [
  ["forks_url", "/forks"],
  ["keys_url", "/keys{/key_id}"],
  ["collaborators_url", "/collaborators{/collaborator}"],
  ["teams_url", "/teams"],
  ["hooks_url", "/hooks"],
  ["issue_events_url", "/issues/events{/number}"],
  ["events_url", "/events"],
  ["assignees_url", "/assignees{/user}"],
  ["branches_url", "/branches{/branch}"],
  ["tags_url", "/tags"],
  ["blobs_url", "/git/blobs{/sha}"],
  ["git_tags_url", "/git/tags{/sha}"],
  ["git_refs_url", "/git/refs{/sha}"],
  ["trees_url", "/git/trees{/sha}"],
  ["statuses_url", "/statuses/{sha}"],
  ["languages_url", "/languages"],
  ["stargazers_url", "/stargazers"],
  ["contributors_url", "/contributors"],
  ["subscribers_url", "/subscribers"],
  ["subscription_url", "/subscription"],
  ["commits_url", "/commits{/sha}"],
  ["git_commits_url", "/git/commits{/sha}"],
  ["comments_url", "/comments{/number}"],
  ["issue_comment_url", "/issues/comments{/number}"],
  ["contents_url", "/contents/{+path}"],
  ["compare_url", "/compare/{base}...{head}"],
  ["merges_url", "/merges"],
  ["archive_url", "/{archive_format}{/ref}"],
  ["downloads_url", "/downloads"],
  ["issues_url", "/issues{/number}"],
  ["pulls_url", "/pulls{/number}"],
  ["milestones_url", "/milestones{/number}"],
  ["notifications_url", "/notifications{?since,all,participating}"],
  ["labels_url", "/labels{/name}"],
  ["releases_url", "/releases{/id}"],
  ["deployments_url", "/deployments"],
];

/** A repository as a `repository` (webhooks, installation lists) or `full-repository` (GET /repos). */
export function repoJson(urls: SimUrls, repo: SimRepo, options: { full?: boolean } = {}): JsonObject {
  const api = `${urls.api}/repos/${repo.fullName}`;
  const html = `${urls.html}/${repo.fullName}`;
  const openIssues = [...repo.issues.values()].filter((issue) => issue.state === "open").length;
  const created = isoSeconds(repo.createdAt);
  const json: JsonObject = {
    id: repo.id,
    node_id: nodeId("Repository", repo.id),
    name: repo.name,
    full_name: repo.fullName,
    private: repo.private,
    owner: userJson(urls, repo.owner),
    html_url: html,
    description: null,
    fork: false,
    url: api,
  };
  for (const [key, suffix] of REPO_URL_TEMPLATES) json[key] = `${api}${suffix}`;
  Object.assign(json, {
    created_at: created,
    updated_at: created,
    pushed_at: created,
    git_url: `${html.replace(/^https?:/, "git:")}.git`,
    ssh_url: `git@${new URL(urls.html).host}:${repo.fullName}.git`,
    clone_url: `${html}.git`,
    svn_url: html,
    homepage: null,
    size: 0,
    stargazers_count: 0,
    watchers_count: 0,
    language: null,
    has_issues: true,
    has_projects: true,
    has_downloads: true,
    has_wiki: true,
    has_pages: false,
    has_discussions: false,
    forks_count: 0,
    mirror_url: null,
    archived: false,
    disabled: false,
    open_issues_count: openIssues,
    license: null,
    allow_forking: true,
    is_template: false,
    web_commit_signoff_required: false,
    topics: [],
    visibility: repo.private ? "private" : "public",
    forks: 0,
    open_issues: openIssues,
    watchers: 0,
    default_branch: repo.defaultBranch,
  } satisfies JsonObject);
  if (options.full) {
    json.network_count = 0;
    json.subscribers_count = 0;
    json.temp_clone_token = null;
  }
  return json;
}

/** An installation (`installation` schema). */
export function installationJson(state: SimState, installation: SimInstallation): JsonObject {
  const { urls, app } = state;
  const created = isoSeconds(installation.createdAt);
  return {
    id: installation.id,
    client_id: `Iv1.${app.id.toString(16).padStart(16, "0")}`,
    account: userJson(urls, installation.account),
    repository_selection: "selected",
    access_tokens_url: `${urls.api}/app/installations/${installation.id}/access_tokens`,
    repositories_url: `${urls.api}/installation/repositories`,
    html_url: `${urls.html}/organizations/${installation.account.login}/settings/installations/${installation.id}`,
    app_id: app.id,
    app_slug: app.slug,
    target_id: installation.account.id,
    target_type: installation.account.type === "Organization" ? "Organization" : "User",
    permissions: { ...app.permissions },
    events: [...app.events],
    created_at: created,
    updated_at: created,
    single_file_name: null,
    has_multiple_single_files: false,
    single_file_paths: [],
    suspended_by: null,
    suspended_at: null,
  };
}

/** The minimal `installation` object webhook payloads carry. */
export function installationRefJson(installationId: number): JsonObject {
  return { id: installationId, node_id: nodeId("IntegrationInstallation", installationId) };
}

/** The app itself (`integration` schema), as GET /app answers. */
export function appJson(state: SimState): JsonObject {
  const { urls, app } = state;
  return {
    id: app.id,
    slug: app.slug,
    node_id: nodeId("Integration", app.id),
    client_id: `Iv1.${app.id.toString(16).padStart(16, "0")}`,
    owner: userJson(urls, app.owner),
    name: app.name,
    description: "Simulated GitHub App",
    external_url: `${urls.html}/apps/${app.slug}`,
    html_url: `${urls.html}/apps/${app.slug}`,
    created_at: EPOCH,
    updated_at: EPOCH,
    permissions: { ...app.permissions },
    events: [...app.events],
    installations_count: state.installations.size,
  };
}
