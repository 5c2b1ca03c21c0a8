SELECT access_token FROM oauth.issue_token(:id, :secret);
