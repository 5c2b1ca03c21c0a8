SELECT outcome FROM ords.authorize(NULL, 'GET', '/public/items/1', 'bench');
